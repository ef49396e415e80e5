import { describe, expect, it } from 'vitest';
import { YUNET_N, modelIdentity } from '../../engine/detect/model-file';
import { evidenceFields } from '../../engine/report/evidence';
import { PPOCR_V4_DET, TEXT_MODEL_ID } from '../../engine/text/model';
import { manualTrack, samplePlan } from '../helpers/plans';

const detected = (id: string, detector: string, label: 'face' | 'text') =>
  manualTrack(id, [{ frame: 0 }], { label, provenance: { origin: 'detected', detector } });

describe('the export report names the models behind the proposals', () => {
  it('lists the text model when the plan holds text proposals, beside the face model', () => {
    const plan = samplePlan({
      tracks: [detected('f', `${modelIdentity()} {"find":["faces","text"]}`, 'face'), detected('t', `${TEXT_MODEL_ID} {"find":["faces","text"]}`, 'text')],
    });
    expect(evidenceFields(plan, { operator: 'a' }).models).toEqual([
      { name: modelIdentity(), sha256: YUNET_N.sha256, usedFor: ['detection'] },
      { name: TEXT_MODEL_ID, sha256: PPOCR_V4_DET.sha256, usedFor: ['text detection'] },
    ]);
  });

  it('leaves the text model out when no track came from it', () => {
    const plan = samplePlan({ tracks: [detected('f', `${modelIdentity()} {"find":["faces"]}`, 'face')] });
    expect(evidenceFields(plan, { operator: 'a' }).models.map((m) => m.name)).toEqual([modelIdentity()]);
    expect(evidenceFields(samplePlan({ tracks: [] }), { operator: 'a' }).models).toEqual([]);
  });
});

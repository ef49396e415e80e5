import { progressText } from '../../common/progress';
import type { JobProgressState } from '../model/job-progress';

/**
 * One long job's progress, worded as everywhere else: its phase, a bar, how much of how much, the
 * rate and the time left, and its Cancel. A step with nothing to count shows a moving bar.
 */
export function JobProgress(props: { job: JobProgressState; label?: string; onCancel?: () => void; cancelLabel?: string; testId?: string; cancelTestId?: string }) {
  const { job } = props;
  const figures = progressText(job);
  return (
    <span className="job" data-testid={props.testId} role="status">
      <span className="job-phase">{props.label ? `${props.label}: ` : ''}{job.phase}</span>{' '}
      {job.total > 0 ? <progress max={job.total} value={Math.min(job.done, job.total)} /> : <progress />}
      {figures && <span className="job-figures" data-testid="job-figures"> {figures}</span>}
      {props.onCancel && (
        <button className="job-cancel" onClick={props.onCancel} data-testid={props.cancelTestId}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
      )}
    </span>
  );
}

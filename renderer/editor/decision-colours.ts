import type { Decision } from '../../common/track';

/** One colour per decision, shared by the overlay and the timeline. */
export const DECISION_COLOURS: Record<Decision, string> = {
  proposed: '#f5b82e',
  redact: '#e5484d',
  keep: '#46a758',
};
export const SELECTED_COLOUR = '#3e9bff';

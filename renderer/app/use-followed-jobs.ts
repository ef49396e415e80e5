import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { onApiEvent } from '../api/client';
import { withProgress, type JobProgressState } from '../model/job-progress';

/** Jobs this component started, each kept up to date with its progress events. */
export function useFollowedJobs<J extends JobProgressState>(): [J[], Dispatch<SetStateAction<J[]>>] {
  const [jobs, setJobs] = useState<J[]>([]);
  useEffect(() => onApiEvent((e) => e.type === 'progress' && setJobs((list) => (list.some((j) => j.jobId === e.jobId) ? list.map((j) => withProgress(j, e)) : list))), []);
  return [jobs, setJobs];
}

/** The one job a component runs at a time (null when none), kept up to date with its progress events. */
export function useFollowedJob(): [JobProgressState | null, (job: JobProgressState | null) => void] {
  const [jobs, setJobs] = useFollowedJobs<JobProgressState>();
  return [jobs[0] ?? null, (job) => setJobs(job ? [job] : [])];
}

import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { resumeDetections } from './app/detection-runs';
import { resumeExports } from './app/export-runs';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
// Detection runs and exports a previous page started go on in the main process; take them up.
void resumeDetections().catch((err: unknown) => console.error('could not take up detection runs', err));
void resumeExports().catch((err: unknown) => console.error('could not take up exports', err));

import { helpRows } from '../model/shortcuts';
import { Modal } from './Modal';

/** Every shortcut, from the same table the key handler reads (renderer/model/shortcuts.ts). */
export function HelpOverlay(props: { onClose(): void }) {
  const rows = [...helpRows(), { action: 'preview', description: 'Preview the redaction over the video', keys: ['P'] }, { action: 'escape', description: 'Stop drawing, close this overlay', keys: ['Esc'] }];
  return (
    <Modal label="Keyboard shortcuts" className="help" testId="help" onClose={props.onClose} closeOnBackdrop>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.action}>
                <td>{r.keys.join(' / ')}</td>
                <td>{r.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row end">
          <button onClick={props.onClose}>Close</button>
        </div>
    </Modal>
  );
}

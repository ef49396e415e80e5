import { helpRows } from '../model/shortcuts';

/** Every shortcut, from the same table the key handler reads (renderer/model/shortcuts.ts). */
export function HelpOverlay(props: { onClose(): void }) {
  const rows = [...helpRows(), { action: 'preview', description: 'Preview the redaction over the video', keys: ['P'] }, { action: 'escape', description: 'Stop drawing, close this overlay', keys: ['Esc'] }];
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div className="modal help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
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
      </div>
    </div>
  );
}

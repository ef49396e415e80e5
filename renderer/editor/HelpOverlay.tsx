import { KEYMAP } from './keymap';

export function HelpOverlay(props: { onClose(): void }) {
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div className="modal help" role="dialog" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {KEYMAP.map((s) => (
              <tr key={s.action}>
                <td>{s.keys.map((k) => (k === ' ' ? 'Space' : k)).join(' / ')}</td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

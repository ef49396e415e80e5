import type { ReasonCode } from '../../common/reasons';

/** A reason chosen in the inspector or toolbar: a code and, for a code that needs it, free text. */
export type ReasonChoice = { code: string; text: string };

/** What a decision or new range records: the code, and the text only where the code asks for it. */
export function reasonFields(list: readonly ReasonCode[], choice: ReasonChoice): { reason: string; reasonText?: string } {
  const needsText = list.find((r) => r.code === choice.code)?.needsText;
  return { reason: choice.code, ...(needsText && choice.text.trim() ? { reasonText: choice.text.trim() } : {}) };
}

/**
 * A reason picker: the list's codes by label, and a free-text field when the chosen code needs one.
 * `onCommit` hears a complete choice: a code that needs no text once chosen, or the text once typed
 * (on Enter or leaving the field). A chosen code gives the keyboard back to the editor's shortcuts.
 */
export function ReasonPicker({ list, value, onChange, onCommit, label, testId }: { list: readonly ReasonCode[]; value: ReasonChoice; onChange(v: ReasonChoice): void; onCommit?(v: ReasonChoice): void; label: string; testId: string }) {
  const needsText = list.find((r) => r.code === value.code)?.needsText ?? false;
  const commitText = () => value.text.trim() && onCommit?.(value);
  return (
    <label>
      {label}{' '}
      <select
        value={value.code}
        onChange={(e) => {
          // The typed text stays while the code changes (it is recorded only where the code needs it).
          const choice = { code: e.target.value, text: value.text };
          onChange(choice);
          if (!list.find((r) => r.code === choice.code)?.needsText) {
            onCommit?.(choice);
            e.target.blur();
          }
        }}
        data-testid={testId}
      >
        {list.map((r) => (
          <option key={r.code} value={r.code}>{r.label}</option>
        ))}
      </select>
      {needsText && (
        <input
          value={value.text}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
          onBlur={commitText}
          onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget.blur(), undefined)}
          placeholder="say why (required)"
          maxLength={2000}
          data-testid={`${testId}-text`}
        />
      )}
    </label>
  );
}


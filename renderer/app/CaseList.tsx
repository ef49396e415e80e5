import { useState } from 'react';
import type { CaseRow } from '../store/db';
import { repository } from './repository';
import { CaseFileImport } from './CaseFiles';
import { DeletionLogExport, isDue } from './CaseLifecycle';
export function CaseList(props: { cases: CaseRow[]; onOpen(c: CaseRow): void; onChanged(): Promise<void> }) {
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  return (
    <div className="cases" data-testid="case-list">
      <h1>Evidence Redactor</h1>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!name.trim()) return;
          const c = await repository.createCase(name.trim());
          setName('');
          await props.onChanged();
          props.onOpen(c);
        }}
      >
        <input placeholder="New case name or reference" value={name} onChange={(e) => setName(e.target.value)} data-testid="new-case-name" />
        <button type="submit" data-testid="create-case">Create case</button>
      </form>
      <CaseFileImport onImported={props.onChanged} />
      <DeletionLogExport />
      {props.cases.some(isDue) && <p className="warning" data-testid="cases-due">{props.cases.filter(isDue).length} of {props.cases.length} cases are due for deletion (listed first).</p>}
      <ul className="case-items">
        {props.cases.map((c) => (
          <li key={c.id} className={isDue(c) ? 'due' : undefined} data-testid="case-item" data-due={isDue(c) ? 'yes' : 'no'}>
            {renaming?.id === c.id ? (
              <form
                className="row"
                onSubmit={async (e) => {
                  e.preventDefault();
                  await repository.renameCase(c.id, renaming.name.trim() || c.name);
                  setRenaming(null);
                  await props.onChanged();
                }}
              >
                <input value={renaming.name} onChange={(e) => setRenaming({ id: c.id, name: e.target.value })} autoFocus data-testid="rename-input" />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button className="link" onClick={() => props.onOpen(c)} data-testid="open-case">{c.name}</button>
                <span className="muted"> updated {new Date(c.updated).toLocaleString()}</span>
                <span className={isDue(c) ? 'retention due' : 'retention muted'} data-testid="case-retention">keep until {c.retainUntil}{isDue(c) ? ': due' : ''}</span>
                <button onClick={() => setRenaming({ id: c.id, name: c.name })}>Rename</button>
              </>
            )}
          </li>
        ))}
      </ul>
      {props.cases.length === 0 && <p className="muted">No cases yet. Create one to import footage.</p>}
    </div>
  );
}

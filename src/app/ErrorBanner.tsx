import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { selectOpenError } from '../state/selectors';

/** A specific, readable error for a file that could not be opened: what, which file, what to do. */
export function ErrorBanner() {
  const error = useAppStore(selectOpenError);
  const store = useAppStoreApi();
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-error-code={error.code}>
      <div className="error-body">
        <strong>
          {error.file ? `Could not open ${error.file}` : 'Could not open the model'}
          <span className="error-code"> [{error.code}]</span>
        </strong>
        <p className="error-message">{error.message}</p>
        {error.remedy ? <p className="error-remedy">What to do: {error.remedy}</p> : null}
        {error.context ? (
          <details>
            <summary>Details</summary>
            <pre>{error.context}</pre>
          </details>
        ) : null}
      </div>
      <button type="button" className="button" aria-label="Dismiss error" onClick={() => store.getState().dismissOpenError()}>
        Dismiss
      </button>
    </div>
  );
}

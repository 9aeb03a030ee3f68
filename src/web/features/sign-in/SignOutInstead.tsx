import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/session';
import { useErrorText } from '../../components/form';

/**
 * A way out of a half-finished sign-in (wrong account, no phone at hand): ends the session, after
 * which the page's own redirect takes the person back to the sign-in form.
 */
export function SignOutInstead() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const errorText = useErrorText();
  const [error, setError] = useState<string>();
  return (
    <div className="sign-out-instead">
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setError(undefined);
          signOut().catch((e: unknown) => setError(errorText(e)));
        }}
      >
        {t('challenge.signOutInstead')}
      </button>
      <div role="alert">{error && <p className="field__error">{error}</p>}</div>
    </div>
  );
}

/**
 * Chinese labels of audit actions and entities. The labels themselves live in the message
 * catalogue (`audit.actions`, keyed by the action code with `.` → `_`; `audit.entities`);
 * labels.test.ts reads crates/store/src and fails when an action the store writes has none.
 */
export function actionKey(code: string): string {
  return code.replace(/\./g, '_');
}

/**
 * Values the local cloud gives the template's parameters that have no Default. In AWS `sam deploy --guided` asks
 * for them (a placeholder default would deploy and then fail every send); locally every email goes to the SES
 * capture, so any address will do. Explicit overrides (parameterOverrides) still win.
 */
export const LOCAL_PARAMETER_VALUES: Readonly<Record<string, string>> = {
  SenderEmail: 'sender@example.com',
  AdminEmail: 'admin@example.com',
};

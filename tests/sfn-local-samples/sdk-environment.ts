/**
 * The environment the vendored TypeScript sample's SDK client expects from a developer's machine: it names no
 * region and no credentials (`new SFNClient({ endpoint })`), so they come from the environment, as from a
 * developer's ~/.aws. Step Functions Local's defaults: region us-east-1; any credentials will do.
 */
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

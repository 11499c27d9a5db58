/** asl-validator 4 ships no type declarations: this is its documented call signature (`module.exports = validator`). */
declare module 'asl-validator' {
  function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: Array<{ 'Error code': string; Message: string }> };
  export = validator;
}

/** Types for the untyped `apache-md5` package (md5crypt `$1$` and Apache `$apr1$`). */
declare module 'apache-md5' {
  function crypt(password: string, salt?: string): string;
  export default crypt;
}

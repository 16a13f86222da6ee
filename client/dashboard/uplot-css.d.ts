// Vite's `?inline` import: the file's text, for adopting into a shadow root.
declare module '*.css?inline' {
  const css: string
  export default css
}

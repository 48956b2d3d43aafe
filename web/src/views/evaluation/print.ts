/**
 * Prints only the element marked `.jc-print` (see theme.css): marks the body while the
 * browser's print dialog is open.
 */
export function printMarked(): void {
  document.body.classList.add('jc-printing');
  const done = () => {
    document.body.classList.remove('jc-printing');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
  // Browsers without afterprint (or a blocked dialog) return from print() right away.
  setTimeout(done, 1000);
}

// The appointment slip a host prints for the visitor: the button opens the browser's print dialog.
document.getElementById("print").addEventListener("click", () => window.print());

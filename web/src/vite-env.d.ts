// Stylesheet imports (dashboard.css, uPlot's) are bundled by Vite; its client types declare them for tsc.
/// <reference types="vite/client" />

// Starts the single-page app. A file rather than an inline script, so the server's
// Content-Security-Policy can forbid inline script altogether.
// Absolute paths: the server answers every client route (/actuals/1/2022-06-06) with
// index.html, so relative paths would resolve under the route.
import init from "/pkg/portal_frontend.js";
init({ module_or_path: "/pkg/portal_frontend_bg.wasm" });

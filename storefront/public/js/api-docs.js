// The API reference at /docs: Swagger UI on /openapi.json. Its bundle and stylesheet come from swagger-ui-dist,
// pinned by the lockfile and served from this origin (scripts/docs-assets.mjs); nothing loads from elsewhere.
window.ui = window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The default sends the document to an online validator and shows its badge.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});

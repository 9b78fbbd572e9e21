// Jest resolver: Jest's own, retried with the `module-sync` export condition when a package cannot be resolved
// otherwise. music-metadata 11 and file-type 21 export only `import`/`module-sync` entries, which Jest's CommonJS
// resolver does not match; adding the condition globally would instead pick other packages' `.mjs` builds.
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    const conditions = options.conditions ?? ['require', 'default', 'node'];
    if (conditions.includes('module-sync')) throw error;
    return options.defaultResolver(request, { ...options, conditions: [...conditions, 'module-sync'] });
  }
};

// Reads the runtime config the deployment wrote beside the site, as the storefront will.
(async function showEnvironment() {
  const error = document.getElementById('config-error');
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    const config = await response.json();
    for (const field of document.querySelectorAll('[data-key]')) {
      field.textContent = config[field.dataset.key] ?? 'not set';
    }
  } catch (failure) {
    error.textContent = `The runtime configuration could not be read: ${failure.message}`;
    error.hidden = false;
  }
})();

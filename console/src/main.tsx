/** Entry point of the lender console's bundle (scripts/build-console.mjs). */
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}

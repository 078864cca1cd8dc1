import './console.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readConsoleConfig } from './config';

const container = document.getElementById('root');
if (!container) throw new Error('Admin console: the #root element is missing from the page');
container.textContent = '';
createRoot(container).render(<App config={readConsoleConfig(document)} />);

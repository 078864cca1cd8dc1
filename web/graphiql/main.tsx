import 'graphiql/style.css';
import './page.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installMonacoWorkers } from './workers';

installMonacoWorkers();

const container = document.getElementById('graphiql');
if (!container) throw new Error('GraphiQL: the #graphiql element is missing from the page');
container.textContent = '';
createRoot(container).render(<App />);

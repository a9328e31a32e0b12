import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { applyTheme, loadTheme } from './theme';

applyTheme(loadTheme());
render(<App />, document.getElementById('app')!);

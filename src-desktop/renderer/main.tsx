import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { removeTokenFromAddressBar } from './address-token';
import { applyTheme, loadTheme } from './theme';

removeTokenFromAddressBar();
applyTheme(loadTheme());
render(<App />, document.getElementById('app')!);

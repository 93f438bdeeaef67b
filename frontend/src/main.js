import { mount } from 'svelte'
import './app.css'
// Sets <html data-theme> before the first paint (no flash of the other theme).
import './lib/stores/theme.js'
import { preload } from './lib/plotly.js'
import App from './App.svelte'

const app = mount(App, { target: document.getElementById('app') })
// Plotly loads once, in the background, while the user logs in or looks
// at the first page; every chart of every page then draws without waiting.
preload()
export default app

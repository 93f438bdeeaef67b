// The app's pages, in navigation order. `role` limits who sees the link (the
// backend enforces the same rule on every call). `keepAlive` pages stay
// mounted (hidden) once visited, so coming back shows their charts at
// once while they refresh; they get an `active` prop.
import ImportPage from './ImportPage.svelte'
import Placeholder from './Placeholder.svelte'
import Members from './Members.svelte'
import Audit from './Audit.svelte'
import Settings from './Settings.svelte'
import Buyers from './Buyers.svelte'
import Visitors from './Visitors.svelte'
import Assistant from './Assistant.svelte'

export const pages = [
  { id: 'import', title: 'Data', component: ImportPage },
  { id: 'buyers', title: 'Buyers', component: Buyers, keepAlive: true },
  { id: 'visitors', title: 'Visitors', component: Visitors, keepAlive: true },
  { id: 'assistant', title: 'AI assistant', component: Assistant },
  { id: 'members', title: 'Members', component: Members },
  { id: 'audit', title: 'Audit trail', component: Audit, role: ['owner'] },
  { id: 'settings', title: 'Settings', component: Settings },
]

// The app's pages, in navigation order. `role` limits who sees the link (the
// backend enforces the same rule on every call).
import ImportPage from './ImportPage.svelte'
import Placeholder from './Placeholder.svelte'

export const pages = [
  { id: 'import', title: 'Data', component: ImportPage },
  { id: 'buyers', title: 'Buyers', component: Placeholder },
  { id: 'visitors', title: 'Visitors', component: Placeholder },
  { id: 'assistant', title: 'AI assistant', component: Placeholder },
  { id: 'members', title: 'Members', component: Placeholder },
  { id: 'audit', title: 'Audit trail', component: Placeholder, role: ['owner'] },
  { id: 'settings', title: 'Settings', component: Placeholder },
]

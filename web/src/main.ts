import { createApp } from 'vue'
import App from './App.vue'
import { startLive } from './live'
import { startRouter } from './router'
import { reportError } from './toast'
import './style.css'

startRouter()
startLive()
const app = createApp(App)
// An error in a view is told to the user, never a blank page.
app.config.errorHandler = (err) => {
  console.error(err)
  reportError(err, 'unexpected error')
}
app.mount('#app')

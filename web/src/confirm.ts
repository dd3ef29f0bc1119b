// One confirmation dialog for the app: `await confirmAction({...})` is true when confirmed.
import { reactive } from 'vue'

export interface ConfirmRequest {
  title: string
  message: string
  confirmText?: string
  danger?: boolean
}

export const confirmState = reactive({
  open: false,
  request: null as ConfirmRequest | null,
  resolve: null as ((ok: boolean) => void) | null,
})

export function confirmAction(request: ConfirmRequest): Promise<boolean> {
  confirmState.resolve?.(false)
  return new Promise((resolve) => {
    confirmState.request = request
    confirmState.resolve = resolve
    confirmState.open = true
  })
}

export function answer(ok: boolean) {
  const r = confirmState.resolve
  confirmState.open = false
  confirmState.request = null
  confirmState.resolve = null
  r?.(ok)
}

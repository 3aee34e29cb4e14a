// The bench's user: a realistic Chatwoot user JSON (about 615 bytes) in the jbuilder key order, shared by the
// server and the in-process overhead bench.
export const userJson = JSON.stringify({
  access_token: "6Zcqd4Qrgmz6PN8Vj4zBYPtW",
  account_id: 1,
  available_name: "Ada Lovelace",
  avatar_url: "",
  confirmed: true,
  display_name: "Ada Lovelace",
  message_signature: null,
  email: "ada.lovelace@example.com",
  id: 4242,
  name: "Ada Lovelace",
  provider: "email",
  pubsub_token: "mN3x8kQ2ZrT7vYc1pL9sW4dE",
  custom_attributes: { department: "engineering", employee_id: "E-104233", cost_center: "CC-7731" },
  role: "agent",
  ui_settings: { is_contact_sidebar_open: true, rtl_view: false },
  uid: "ada.lovelace@example.com",
  accounts: [{ id: 1, name: "Acme Support", active_at: "2025-11-20T09:14:07.482Z", role: "agent" }]
})

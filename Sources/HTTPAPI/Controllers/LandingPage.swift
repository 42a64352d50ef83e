import Hummingbird
import NIOCore

/// A short page at `/` telling a person who opens the server in a browser where things are.
struct LandingPage {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.html))
            )
        }
    }

    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>CRM server</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
        <h1>CRM server</h1>
        <p>The API lives under <code>/api/v1</code>; its contract is <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
        <p>Sign in with <code>POST /api/v1/auth/login</code> and a JSON body
        <code>{"tenant": "…", "email": "…", "password": "…"}</code>; send the token you get back as
        <code>Authorization: Bearer …</code>.</p>
        <p>Health: <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
        </body></html>
        """
}

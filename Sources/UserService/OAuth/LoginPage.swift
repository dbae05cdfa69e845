import HTTPTypes
import Hummingbird

/// The minimal HTML of the authorization endpoint: a login form carrying the authorization request's parameters,
/// and an error page for requests that cannot be redirected. Everything interpolated is HTML-escaped; the page
/// may not be framed, cached, or run scripts.
enum LoginPage {
    static func form(parameters: [(String, String)], clientName: String, email: String, message: String?) -> String {
        let hidden = parameters.map { "<input type=\"hidden\" name=\"\(escape($0.0))\" value=\"\(escape($0.1))\">" }
            .joined(separator: "\n      ")
        let notice = message.map { "<p class=\"error\" role=\"alert\">\(escape($0))</p>" } ?? ""
        return Self.page(
            title: "Sign in",
            body: """
                <h1>Sign in to \(escape(clientName))</h1>
                \(notice)
                <form method="post" action="/oauth/authorize">
                  \(hidden)
                  <label>Email
                    <input type="email" name="email" value="\(escape(email))" autocomplete="username" required></label>
                  <label>Password
                    <input type="password" name="password" autocomplete="current-password" required></label>
                  <button type="submit">Sign in</button>
                </form>
                """)
    }

    static func error(_ message: String) -> String {
        Self.page(title: "Authorization error", body: "<h1>Authorization error</h1>\n<p>\(escape(message))</p>")
    }

    static func response(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
                HTTPField.Name("X-Frame-Options")!: "DENY",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Acme</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }
        label { display: block; margin: 1rem 0; } input[type=email], input[type=password] { width: 100%; }
        .error { color: #b00020; }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

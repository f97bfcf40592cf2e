import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import XCTest

/// Logs in through the dashboard's form as a trainer would: fetches the login page for
/// its CSRF cookie, posts the token. Returns the login cookie ("" when refused), the
/// dashboard's CSRF token for its forms, and the login response.
func adminLogin(_ client: some TestClientProtocol, token: String = IntakeFixture.adminToken) async throws
    -> (cookie: String, csrf: String, response: TestResponse) {
    let page = try await client.execute(uri: "/admin/login", method: .get)
    let formCSRF = try XCTUnwrap(page.cookie("labctl_csrf")?.value)
    let body = "csrf=\(formCSRF)&token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
    let r = try await client.execute(uri: "/admin/login", method: .post,
                                     headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_csrf=\(formCSRF)"],
                                     body: ByteBuffer(string: body))
    guard let cookie = r.cookie("labctl_admin") else { return ("", "", r) }
    let dashboard = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(cookie.value)"])
    return (cookie.value, csrfField(in: dashboard.text) ?? "", r)
}

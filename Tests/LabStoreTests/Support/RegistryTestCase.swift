import Foundation
import LabStore
import LabTestSupport
import XCTest

/// A fresh registry file in a folder of its own for every test.
class RegistryTestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var registry: Registry!

    /// The database's path inside `dir`.
    var databaseName: String { "lab.sqlite" }

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(String(describing: type(of: self)))
        registry = try Registry(path: dir.file(databaseName).path)
    }

    override func tearDown() {
        registry = nil
        dir.remove()
    }
}

import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// The CSV as a spreadsheet or script reads it: Python's csv module must get the data back unchanged.
final class CSVTests: XCTestCase {
    func readBack(_ csv: String) throws -> [[String]] {
        let dir = try TemporaryDirectory("csv")
        defer { dir.remove() }
        return try XCTUnwrap(try Python.json("read-csv.py", [try dir.write("t.csv", csv).path]) as? [[String]])
    }

    func testParticipantTableReadsBackEqualToTheData() throws {
        let rows = try readBack(ParticipantTable.csv(Fixture.participants))
        XCTAssertEqual(rows, [ParticipantTable.header] + ParticipantTable.rows(Fixture.participants))
        XCTAssertEqual(rows[2][1], "Doe, Jane \"JD\"")
    }

    func testAwkwardFieldsSurvive() throws {
        let data = [
            ["comma, inside", "quote \" inside", "\"starts with quote", "line\nbreak", "crlf\r\nbreak"],
            [" leading space", "trailing space ", "", "plain", "tab\there"],
            ["=1+1", "Zoë, \"Z\"\n<script>", "ends with \"", "\"\"", "semi;colon"],
        ]
        XCTAssertEqual(try readBack(CSVWriter.render(header: ["a", "b", "c", "d", "e"], rows: data)), [["a", "b", "c", "d", "e"]] + data)
    }
}

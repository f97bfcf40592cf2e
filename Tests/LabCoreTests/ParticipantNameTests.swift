import XCTest
@testable import LabCore

final class ParticipantNameTests: XCTestCase {
    func testFoldsDiacriticsFromDisplayName() throws {
        XCTAssertEqual(try ParticipantName(displayName: "Zoë Müller-Lüdenscheidt").value, "zoe.muller-ludenscheidt")
        XCTAssertEqual(try ParticipantName(displayName: "  José   García ").value, "jose.garcia")
        XCTAssertEqual(try ParticipantName(displayName: "Jürgen Großmann").value, "jurgen.grossmann")
        XCTAssertEqual(try ParticipantName(displayName: "Søren Kierkegaard").value, "soren.kierkegaard")
        XCTAssertEqual(try ParticipantName(displayName: "Jean Claude Van Damme").value, "jean.claude-van-damme")
    }

    func testOtherScriptsAreTransliteratedToLatin() throws {
        XCTAssertEqual(try ParticipantName(displayName: "Иван Петров").value, "ivan.petrov")
        XCTAssertEqual(try ParticipantName(first: "Γιώργος", last: "Παπαδόπουλος").value, "giorgos.papadopoulos")
        // Whatever ICU makes of Han, it is ASCII first.last that a file name and an AWS tag take.
        let cjk = try ParticipantName(displayName: "王 小明")
        XCTAssertEqual(cjk.parts.count, 2, cjk.value)
        XCTAssertTrue(cjk.value.unicodeScalars.allSatisfy { $0.isASCII }, cjk.value)
        XCTAssertTrue(cjk.value.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "." || $0 == "-" }, cjk.value)
        // Key file stems in another script become the same canonical name, and the discrete id follows it.
        XCTAssertEqual(try ParticipantName(canonical: "иван.петров").value, "ivan.petrov")
        XCTAssertEqual(DiscreteID.assign(for: try ParticipantName(displayName: "Иван Петров"), taken: []), "ivan.pe")
    }

    func testANameWithNothingLatinInItSaysWhatToType() {
        for name in ["😀", "😀 🎉", "★ ☆"] {
            XCTAssertThrowsError(try ParticipantName(displayName: name), name) {
                XCTAssertEqual($0 as? NameError, .noLatinLetters)
                XCTAssertTrue("\($0)".contains("type your name in Latin letters (e.g. Ivan Petrov)"), "\($0)")
            }
        }
        XCTAssertThrowsError(try ParticipantName(first: "🙂", last: "")) { XCTAssertEqual($0 as? NameError, .noLatinLetters) }
        // Nothing typed at all is still "empty".
        XCTAssertThrowsError(try ParticipantName(first: " ", last: "")) { XCTAssertEqual($0 as? NameError, .empty) }
    }

    func testFirstAndLastFields() throws {
        XCTAssertEqual(try ParticipantName(first: "Anne-Marie", last: "O'Neil").value, "anne-marie.o-neil")
        XCTAssertEqual(try ParticipantName(first: "Łukasz", last: "Żółć").value, "lukasz.zolc")
    }

    func testCanonicalFileStems() throws {
        XCTAssertEqual(try ParticipantName(canonical: "john.doe").value, "john.doe")
        XCTAssertEqual(try ParticipantName(canonical: "John_Doe").value, "john.doe")
        XCTAssertEqual(try ParticipantName(canonical: "alice").value, "alice")
    }

    func testRefusesTraversalEmptyPartsAndMarkup() {
        for bad in ["", "..", "../etc", "john..doe", ".hidden", "john.", "/"] {
            XCTAssertThrowsError(try ParticipantName(canonical: bad), bad)
        }
        XCTAssertThrowsError(try ParticipantName(displayName: "   "))
        XCTAssertThrowsError(try ParticipantName(first: "<>", last: "x"))
        // Markup characters never survive into the canonical name.
        XCTAssertEqual(try ParticipantName(first: "<script>", last: "alert(1)").value, "script.alert-1")
    }

    func testBoundsLength() {
        XCTAssertThrowsError(try ParticipantName(first: String(repeating: "a", count: 41), last: "b")) {
            guard case NameError.tooLong = $0 else { return XCTFail("\($0)") }
        }
    }

    func testDiscreteIDUsesTwoLettersOfTheLastName() throws {
        XCTAssertEqual(DiscreteID.assign(for: try ParticipantName(canonical: "john.doe"), taken: []), "john.do")
        XCTAssertEqual(DiscreteID.assign(for: try ParticipantName(displayName: "Zoë Müller-Lüdenscheidt"), taken: []), "zoe.mu")
    }

    func testDiscreteIDExtendsOnCollision() throws {
        let dover = try ParticipantName(canonical: "john.dover")
        XCTAssertEqual(DiscreteID.assign(for: dover, taken: ["john.do"]), "john.dov")
        XCTAssertEqual(DiscreteID.assign(for: dover, taken: ["john.do", "john.dov", "john.dove"]), "john.dover")
        XCTAssertEqual(DiscreteID.assign(for: dover, taken: ["john.do", "john.dov", "john.dove", "john.dover"]), "john.dover2")
        XCTAssertEqual(DiscreteID.assign(for: try ParticipantName(canonical: "alice"), taken: ["alice"]), "alice2")
        XCTAssertEqual(DiscreteID.assign(for: try ParticipantName(canonical: "li.x"), taken: []), "li.x")
    }
}

import Foundation

/// A literal value from a `.tfvars` file.
public indirect enum TFValue: Equatable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([TFValue])
    case map([(key: String, value: TFValue)])

    public static func == (a: TFValue, b: TFValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var intValue: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        return nil
    }
    public var listValue: [TFValue]? { if case .list(let l) = self { return l } else { return nil } }

    /// The value as Terraform's JSON variable syntax accepts it.
    public var jsonObject: Any {
        switch self {
        case .string(let s): return s
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d
        case .bool(let b): return b
        case .null: return NSNull()
        case .list(let l): return l.map(\.jsonObject)
        case .map(let m): return Dictionary(m.map { ($0.key, $0.value.jsonObject) }, uniquingKeysWith: { _, b in b })
        }
    }
}

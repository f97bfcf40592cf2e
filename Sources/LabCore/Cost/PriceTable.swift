import Foundation

/// On-demand prices (USD) the cost estimate uses. Defaults: eu-west-1 Linux
/// on-demand list prices; trainers override them with a JSON file of the same shape.
public struct PriceTable: Codable, Equatable, Sendable {
    public var region: String
    /// USD per instance-hour by instance type.
    public var instances: [String: Double]
    /// USD per GB-month of gp3 storage.
    public var gp3GBMonth: Double
    /// USD per public IPv4 address-hour (charged for every public address since 2024).
    public var publicIPv4Hour: Double
    /// USD per NAT gateway-hour (labctl's network has none; the original stack had two per workspace).
    public var natGatewayHour: Double
    /// USD per vCPU-hour of surplus CPU credits (burstable instances in `unlimited` mode):
    /// $0.05 for Linux on T2/T3/T3a in most regions (T4g: $0.04), on the EC2 on-demand
    /// pricing page, "T2/T3/T4g Unlimited Mode Pricing". Optional in a prices file.
    public var surplusVCPUHour: Double = 0.05

    enum CodingKeys: String, CodingKey {
        case region, instances
        case gp3GBMonth = "gp3_gb_month"
        case publicIPv4Hour = "public_ipv4_hour"
        case natGatewayHour = "nat_gateway_hour"
        case surplusVCPUHour = "surplus_vcpu_hour"
    }

    public static let euWest1 = PriceTable(
        region: "eu-west-1",
        instances: [
            "t3.micro": 0.0114, "t3.small": 0.0228, "t3.medium": 0.0456, "t3.large": 0.0912,
            "t3.xlarge": 0.1824, "t3.2xlarge": 0.3648,
            "t3a.small": 0.0204, "t3a.medium": 0.0408, "t3a.large": 0.0816, "t3a.xlarge": 0.1632,
            "m5.large": 0.107, "m5.xlarge": 0.214, "m6i.large": 0.107, "m6i.xlarge": 0.214,
            "m7i.large": 0.1121, "c5.large": 0.096, "c6i.large": 0.0912,
        ],
        gp3GBMonth: 0.088, publicIPv4Hour: 0.005, natGatewayHour: 0.048)

    public static func load(from url: URL) throws -> PriceTable {
        do { return try JSONDecoder().decode(PriceTable.self, from: Data(contentsOf: url)) } catch {
            throw CostError.unreadablePrices(path: url.path, reason: "\(error)")
        }
    }
}

extension PriceTable {
    /// Price files written before `surplus_vcpu_hour` existed keep working (its default).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(region: try c.decode(String.self, forKey: .region),
                  instances: try c.decode([String: Double].self, forKey: .instances),
                  gp3GBMonth: try c.decode(Double.self, forKey: .gp3GBMonth),
                  publicIPv4Hour: try c.decode(Double.self, forKey: .publicIPv4Hour),
                  natGatewayHour: try c.decode(Double.self, forKey: .natGatewayHour))
        surplusVCPUHour = try c.decodeIfPresent(Double.self, forKey: .surplusVCPUHour) ?? surplusVCPUHour
    }
}

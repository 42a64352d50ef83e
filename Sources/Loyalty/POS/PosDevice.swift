import Contracts
import Foundation
import Kernel

/// A cash register or partner system the owner let in with a device key. The key itself is shown
/// once, when the device is added; the server keeps only its hash.
public struct PosDevice: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    /// The branch whose sales it records.
    public let branchId: UUID
    /// The key's last four characters, to tell keys apart.
    public let keyHint: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}

/// A device as added: `key` is shown this once.
public struct IssuedPosDevice: Sendable, Encodable {
    public let device: PosDevice
    public let key: String
}

/// A device to add.
public struct PosDeviceInput: Sendable, Decodable {
    public var name: String?
    /// Branch managers add devices to their own branch; the owner names one.
    public var branchId: UUID?

    public init(name: String?, branchId: UUID? = nil) {
        self.name = name
        self.branchId = branchId
    }
}

/// A till as its device key establishes it.
public struct DevicePrincipal: Sendable {
    public let tenantID: UUID
    public let deviceID: UUID
    public let name: String
    public let branchID: UUID
    public let origin: RequestOrigin

    /// The same device, for a request from `origin`.
    func arriving(from origin: RequestOrigin) -> DevicePrincipal {
        DevicePrincipal(tenantID: tenantID, deviceID: deviceID, name: name, branchID: branchID, origin: origin)
    }

    public var actor: AuditActor {
        AuditActor(kind: .device, id: deviceID.uuidString, label: name, origin: origin)
    }

    /// How entries it posts name who posted them.
    var recordedBy: String { "device:" + deviceID.uuidString }
}

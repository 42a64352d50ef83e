import Foundation
@testable import Storage
import Testing

@Suite("UUIDs as SQLite text")
struct UUIDTextTests {
    @Test("written as Foundation writes them and read back in either case; anything else is not a UUID")
    func roundTrip() {
        for _ in 0..<2000 {
            let uuid = UUID()
            #expect(UUIDText.string(uuid) == uuid.uuidString)
            #expect(UUIDText.parse(uuid.uuidString) == uuid)
            #expect(UUIDText.parse(uuid.uuidString.lowercased()) == uuid)
        }
        let valid = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
        for broken in ["", "E621E1F8C36C495A93FC0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", valid + "0",
                       "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC_0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5Ş"] {
            #expect(UUIDText.parse(broken) == nil, "\(broken)")
            #expect(UUID(uuidString: broken) == nil, "Foundation agrees: \(broken)")
        }
    }
}

import Foundation
import ZIPFoundation

/// A month's exported invoices as one zip: `<number>.xml` each, for the accountant or the
/// integrator to take in one download.
enum MonthArchive {
    struct File: Sendable {
        let name: String
        let xml: String
        let date: Date
    }

    static func zip(_ files: [File]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for file in files {
            let data = Data(file.xml.utf8)
            try archive.addEntry(with: file.name, type: .file, uncompressedSize: Int64(data.count), modificationDate: file.date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        return archive.data ?? Data()
    }
}

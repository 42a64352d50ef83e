import Contracts
import Foundation
import Testing
@testable import WebUI

/// Money, shares, areas and phone numbers as a Turkish front desk writes them.
@Suite("Front desk: Turkish formats")
struct FormatsTests {
    @Test("money is grouped by dots with a decimal comma and the lira sign")
    func money() {
        #expect(Formats.money(Money(minorUnits: 125_000)) == "1.250,00 ₺")
        #expect(Formats.money(Money(minorUnits: 5)) == "0,05 ₺")
        #expect(Formats.money(Money(minorUnits: -123_456_789)) == "-1.234.567,89 ₺")
        #expect(Formats.money(Money(minorUnits: 100_000_000_000)) == "1.000.000.000,00 ₺")
    }

    @Test("a share is written with the sign first and a decimal comma")
    func percent() {
        #expect(Formats.percent(basisPoints: 1_500) == "%15")
        #expect(Formats.percent(basisPoints: 1_250) == "%12,5")
        #expect(Formats.percent(basisPoints: 1_205) == "%12,05")
    }

    @Test("an area in m² from centimetres, rounded to the hundredth; an overflow is a dash, not a crash")
    func area() {
        #expect(Formats.area(widthCm: 200, lengthCm: 300) == "6,00 m²")
        #expect(Formats.area(widthCm: 155, lengthCm: 233) == "3,61 m²")
        #expect(Formats.area(widthCm: Int.max, lengthCm: 2) == "—")
        #expect(Formats.area(widthCm: Int.max, lengthCm: 1) == "—", "rounding does not overflow either")
    }

    @Test("amounts and shares typed at the counter; anything else is refused, not guessed")
    func typed() {
        #expect(Formats.parseMoney("1250") == Money(minorUnits: 125_000))
        #expect(Formats.parseMoney("1.250,50") == Money(minorUnits: 125_050))
        #expect(Formats.parseMoney("1250.5") == Money(minorUnits: 125_050))
        #expect(Formats.parseMoney("275,50 ₺") == Money(minorUnits: 27_550))
        for bad in ["", "-5", "1,2,3", "12,345", "abc", "1e5", "99999999999999999999", "١٢٣"] {
            #expect(Formats.parseMoney(bad) == nil, "\(bad) was read")
        }
        #expect(Formats.parsePercent("15") == 1_500)
        #expect(Formats.parsePercent("12,5") == 1_250)
        #expect(Formats.parsePercent("%7.25") == 725)
        for bad in ["", "101", "12.500", "-1", "1.2.3", "x"] {
            #expect(Formats.parsePercent(bad) == nil, "\(bad) was read")
        }
    }

    @Test("Turkish numbers are written the national way; others as stored")
    func phone() {
        #expect(Formats.phone("+905321234567") == "0532 123 45 67")
        #expect(Formats.phone("+442071234567") == "+442071234567")
        #expect(Formats.phone("+90532") == "+90532")
    }

    @Test("dates are shown in the tenant's time zone")
    func dates() {
        let formats = Formats(timeZone: "Europe/Istanbul")
        let noonUTC = Date(timeIntervalSince1970: 1_796_126_400)  // 2026-12-01 12:00:00 UTC
        #expect(formats.dateTime(noonUTC) == "01.12.2026 15:00")
        #expect(Formats(timeZone: "Not/AZone").dateTime(noonUTC) == "01.12.2026 15:00", "an unknown zone falls back to Istanbul")
    }

    @Test("a form is read with every value of a field, + as space, and refused when it is not URL-encoded text")
    func form() throws {
        let form = try Form.parse("name=Ay%C5%9Fe+Y%C4%B1lmaz&l0.addOn=a&l0.addOn=b&empty=")
        #expect(form["name"] == "Ayşe Yılmaz")
        #expect(form.all("l0.addOn") == ["a", "b"])
        #expect(form["empty"] == nil)
        #expect(throws: Contracts.DomainError.self) { try Form.parse("name=%E0%A4%A") }
    }
}

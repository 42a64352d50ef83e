/// The languages the front desk speaks; Turkish unless the user chose English.
enum Language: String, Sendable, CaseIterable {
    case tr, en

    init(cookie: String?) {
        self = cookie.flatMap(Language.init(rawValue:)) ?? .tr
    }

    /// Every text of the screens, by key; templates read them as `{{t.key}}`.
    var texts: [String: String] {
        switch self {
        case .tr: Texts.turkish
        case .en: Texts.english
        }
    }

    func text(_ key: String) -> String {
        texts[key] ?? key
    }
}

enum Texts {
    static let turkish = core.merging(AccountTexts.turkish) { own, _ in own }.merging(LoyaltyTexts.turkish) { own, _ in own }
    static let english = coreEnglish.merging(AccountTexts.english) { own, _ in own }.merging(LoyaltyTexts.english) { own, _ in own }

    static let core: [String: String] = [
        "skipToContent": "İçeriğe geç", "navigation": "Menü", "home": "Ön büro", "scan": "Etiket okut", "courierView": "Kurye",
        "signOut": "Çıkış", "signInTitle": "Giriş yapın", "businessCode": "İşletme kodu", "email": "E-posta", "password": "Parola",
        "signIn": "Giriş", "demoTitle": "Deneme girişi", "demoHelp": "Bu sunucu deneme verisiyle çalışıyor. Bir satırı seçin, form dolsun.",
        "business": "İşletme", "errorCode": "Hata kodu", "goBack": "Geri dön",
        "findCustomer": "Müşteri bul", "searchLabel": "Ad, telefon, e-posta veya müşteri kodu",
        "searchPlaceholder": "Ad, telefon veya müşteri kodu yazın", "search": "Ara", "noCustomerFound": "Bu aramayla eşleşen müşteri yok.",
        "newCustomer": "Yeni müşteri", "customerName": "Ad soyad / unvan", "phone": "Telefon", "saveAndTakeOrder": "Kaydet ve sipariş al",
        "readyForCollection": "Teslime hazır", "nothingReady": "Teslim bekleyen ürün yok.", "order": "Sipariş", "customer": "Müşteri",
        "items": "Parça", "amount": "Tutar", "todaysWork": "Bugünün işleri", "noOrdersToday": "Bugün alınmış sipariş yok.",
        "stage": "Durum", "promised": "Söz verilen", "newOrder": "Yeni sipariş", "customerType": "Müşteri tipi",
        "preferredChannel": "Tercih ettiği kanal", "address": "Adres", "notes": "Notlar", "quickEdit": "Hızlı düzenle", "save": "Kaydet",
        "orders": "Siparişler", "noOrders": "Henüz sipariş yok.", "taken": "Alındı", "customerDiscount": "Müşteri indirimi",
        "line": "Kalem", "service": "Hizmet", "chooseService": "Hizmet seçin", "quantity": "Adet", "widthCm": "En (cm)",
        "lengthCm": "Boy (cm)", "addOns": "Ek işlemler", "lineNote": "Not", "addLine": "Kalem ekle", "orderNotes": "Sipariş notu",
        "calculate": "Hesapla", "saveOrder": "Siparişi kaydet", "measure": "Ölçü", "unitPrice": "Birim fiyat",
        "discountTotal": "İndirim", "vatIncluded": "KDV (dahil)", "total": "Toplam", "printTags": "Etiketleri yazdır", "receipt": "Fiş",
        "tag": "Etiket", "receiptFooter": "Ürününüzü teslim alırken bu fişi gösterin.", "scanTitle": "Etiket okut",
        "scanPlaceholder": "Etiketi okutun veya yazın", "find": "Bul", "moveRefused": "Bu adıma geçilemez.", "branch": "Şube",
        "noFurtherStage": "Bu ürün için sonraki adım yok.", "history": "Geçmiş", "perSquareMetre": "/m²",
        "orderSaved": "Sipariş kaydedildi.", "customerSaved": "Müşteri kaydedildi.", "signedOut": "Çıkış yaptınız.",
        "sessionEnded": "Oturumunuz sona erdi; lütfen yeniden giriş yapın.", "movedTo": "%@ → %@",
        "unknownTag": "Bu etiket bulunamadı.", "page.home": "Ön büro", "page.signIn": "Giriş", "page.customer": "Müşteri",
        "page.newOrder": "Yeni sipariş", "page.order": "Sipariş", "page.scan": "Etiket okut", "page.error": "Hata",
        "page.board": "Durum panosu", "boardTitle": "Durum panosu", "board": "Pano", "noItemsAtStage": "Bu adımda ürün yok.",
        "since": "Bu adımda", "waitingLong": "gecikti", "page.dashboard": "Genel bakış", "dashboard": "Genel bakış",
        "dashboardTitle": "Şubeler bugün", "ordersToday": "Bugün alınan", "revenueToday": "Bugünkü ciro", "itemsReady": "Teslime hazır",
        "uncollected": "Bir haftadır bekleyen", "perBranch": "Şube şube", "revenueByBranch": "Şubelere göre bugünkü ciro",
        "lastSevenDays": "Son yedi gün", "revenueByDay": "Günlere göre ciro",
        "page.settings": "Ayarlar", "settings": "Ayarlar", "settingsTitle": "Ayarlar", "catalogPrices": "Hizmetler ve fiyatlar",
        "unit": "Birim", "price": "Fiyat (₺, KDV dahil)", "addOn": "ek işlem", "customerTypes": "Müşteri tipleri",
        "discountPercent": "İndirim (%)", "branches": "Şubeler", "branchName": "Şube adı", "branchCode": "Şube kodu",
        "addBranch": "Şube ekle", "staff": "Çalışanlar", "role": "Görev", "addStaff": "Çalışan ekle",
        "settingsSaved": "Ayarlar kaydedildi.", "invalidAmount": "Tutarı 1250 ya da 1.250,50 gibi yazın.", "invalidPercent": "İndirimi 0 ile 100 arasında, 15 ya da 12,5 gibi yazın.",
        "role.owner": "İşletme sahibi", "role.branch_manager": "Şube müdürü", "role.front_desk": "Ön büro", "role.courier": "Kurye",
        "role.accountant": "Muhasebe",
        "consents": "İzinler (KVKK / İYS)", "channel": "Kanal", "purpose": "Amaç", "state": "Durum", "allowed": "İzin var",
        "notAllowed": "İzin yok", "grantConsent": "İzin ver", "withdrawConsent": "İzni geri al", "consentSaved": "İzin kaydedildi.",
        "messages": "Gönderilen mesajlar", "noMessages": "Bu müşteriye henüz mesaj gönderilmedi.", "text": "Metin",
        "channel.sms": "SMS", "channel.whatsapp": "WhatsApp", "channel.email": "E-posta",
        "purpose.transactional": "Bilgilendirme", "purpose.commercial": "Ticari",
        "status.sending": "Gönderiliyor", "status.retrying": "Yeniden denenecek", "status.sent": "Gönderildi", "status.delivered": "İletildi",
        "status.read": "Okundu", "status.failed": "Gönderilemedi", "status.skipped": "Gönderilmedi", "status.unconfirmed": "Doğrulanamadı",
        "page.courier": "Kurye", "courierTitle": "Bugünkü adresler", "noRuns": "Size atanmış açık iş yok.", "noAddress": "Adres yok",
        "callCustomer": "Ara", "openMap": "Haritada aç", "nothingToMove": "Bu siparişte bu adıma geçebilecek ürün yok.",
    ]

    static let coreEnglish: [String: String] = [
        "skipToContent": "Skip to content", "navigation": "Menu", "home": "Front desk", "scan": "Scan a tag", "courierView": "Courier",
        "signOut": "Sign out", "signInTitle": "Sign in", "businessCode": "Business code", "email": "E-mail", "password": "Password",
        "signIn": "Sign in", "demoTitle": "Demo sign-in", "demoHelp": "This server runs with demo data. Choose a row to fill in the form.",
        "business": "Business", "errorCode": "Error code", "goBack": "Go back",
        "findCustomer": "Find a customer", "searchLabel": "Name, phone, e-mail or customer code",
        "searchPlaceholder": "Type a name, phone or customer code", "search": "Search", "noCustomerFound": "No customer matches this search.",
        "newCustomer": "New customer", "customerName": "Name / company", "phone": "Phone", "saveAndTakeOrder": "Save and take an order",
        "readyForCollection": "Ready for collection", "nothingReady": "Nothing is waiting for collection.", "order": "Order",
        "customer": "Customer", "items": "Items", "amount": "Amount", "todaysWork": "Today's work", "noOrdersToday": "No orders taken today.",
        "stage": "Stage", "promised": "Promised", "newOrder": "New order", "customerType": "Customer type",
        "preferredChannel": "Preferred channel", "address": "Address", "notes": "Notes", "quickEdit": "Quick edit", "save": "Save",
        "orders": "Orders", "noOrders": "No orders yet.", "taken": "Taken", "customerDiscount": "Customer discount",
        "line": "Line", "service": "Service", "chooseService": "Choose a service", "quantity": "Quantity", "widthCm": "Width (cm)",
        "lengthCm": "Length (cm)", "addOns": "Add-ons", "lineNote": "Note", "addLine": "Add a line", "orderNotes": "Order note",
        "calculate": "Calculate", "saveOrder": "Save the order", "measure": "Size", "unitPrice": "Unit price",
        "discountTotal": "Discount", "vatIncluded": "VAT (included)", "total": "Total", "printTags": "Print tags", "receipt": "Receipt",
        "tag": "Tag", "receiptFooter": "Show this receipt when you collect your items.", "scanTitle": "Scan a tag",
        "scanPlaceholder": "Scan or type the tag", "find": "Find", "moveRefused": "This move is not allowed.", "branch": "Branch",
        "noFurtherStage": "This item has no further stage.", "history": "History", "perSquareMetre": "/m²",
        "orderSaved": "The order is saved.", "customerSaved": "The customer is saved.", "signedOut": "You are signed out.",
        "sessionEnded": "Your session has ended; please sign in again.", "movedTo": "%@ → %@",
        "unknownTag": "No item has this tag.", "page.home": "Front desk", "page.signIn": "Sign in", "page.customer": "Customer",
        "page.newOrder": "New order", "page.order": "Order", "page.scan": "Scan", "page.error": "Error",
        "page.board": "Status board", "boardTitle": "Status board", "board": "Board", "noItemsAtStage": "No items at this stage.",
        "since": "At this stage since", "waitingLong": "late", "page.dashboard": "Overview", "dashboard": "Overview",
        "dashboardTitle": "Branches today", "ordersToday": "Orders today", "revenueToday": "Revenue today", "itemsReady": "Ready",
        "uncollected": "Waiting over a week", "perBranch": "By branch", "revenueByBranch": "Revenue by branch today",
        "lastSevenDays": "The last seven days", "revenueByDay": "Revenue by day",
        "page.settings": "Settings", "settings": "Settings", "settingsTitle": "Settings", "catalogPrices": "Services and prices",
        "unit": "Unit", "price": "Price (₺, VAT included)", "addOn": "add-on", "customerTypes": "Customer types",
        "discountPercent": "Discount (%)", "branches": "Branches", "branchName": "Branch name", "branchCode": "Branch code",
        "addBranch": "Add a branch", "staff": "Staff", "role": "Role", "addStaff": "Add a member of staff",
        "settingsSaved": "The settings are saved.", "invalidAmount": "Write the amount like 1250 or 1250.50.", "invalidPercent": "Write the discount as 0 to 100, like 15 or 12.5.",
        "role.owner": "Owner", "role.branch_manager": "Branch manager", "role.front_desk": "Front desk", "role.courier": "Courier",
        "role.accountant": "Accountant",
        "consents": "Consent (KVKK / İYS)", "channel": "Channel", "purpose": "Purpose", "state": "State", "allowed": "Allowed",
        "notAllowed": "Not allowed", "grantConsent": "Grant", "withdrawConsent": "Withdraw", "consentSaved": "The consent is recorded.",
        "messages": "Messages sent", "noMessages": "No message has been sent to this customer yet.", "text": "Text",
        "channel.sms": "SMS", "channel.whatsapp": "WhatsApp", "channel.email": "E-mail",
        "purpose.transactional": "Transactional", "purpose.commercial": "Commercial",
        "status.sending": "Sending", "status.retrying": "To be retried", "status.sent": "Sent", "status.delivered": "Delivered",
        "status.read": "Read", "status.failed": "Failed", "status.skipped": "Not sent", "status.unconfirmed": "Unconfirmed",
        "page.courier": "Courier", "courierTitle": "Today's addresses", "noRuns": "No open work is assigned to you.", "noAddress": "No address",
        "callCustomer": "Call", "openMap": "Open the map", "nothingToMove": "No item of this order can take this step.",
    ]
}

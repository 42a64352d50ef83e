/// The texts of the loyalty screen: campaigns with their reports, coupons issued and redeemed.
enum LoyaltyTexts {
    static let turkish: [String: String] = [
        "loyalty": "Sadakat", "campaigns": "Kampanyalar", "noCampaigns": "Henüz kampanya yok.", "campaignName": "Kampanya adı",
        "status": "Durum", "targeted": "Hedef", "queued": "Sırada", "sent": "Gönderildi", "delivered": "Ulaştı", "failed": "Başarısız",
        "skippedConsent": "İzin yok", "optedOut": "Ret", "nextRun": "Sonraki gönderim", "cancelCampaign": "Durdur",
        "newCampaign": "Yeni kampanya", "campaignText": "Mesaj", "campaignPlaceholder": "Merhaba {{customer}}, bu hafta %20 indirim!",
        "campaignHint": "Mesaj yalnızca ticari ileti izni olan müşterilere gider, 21:00–09:00 arası bekletilir. Kullanılabilir alanlar: {{customer}} (Ahmet Bey), {{customerName}}, {{business}}, {{branch}}, {{branchPhone}}, {{points}}.",
        "channelPreferred": "Müşterinin tercihi", "everyone": "Tüm müşteriler",
        "inactiveDays": "Şu kadar gündür gelmeyenler", "repeatDays": "Tekrar (gün)", "sendCampaign": "Kampanyayı kaydet",
        "campaignSaved": "Kampanya kaydedildi; gönderim sıraya alındı.", "campaignCancelled": "Kampanya durduruldu.",
        "campaignStatus.active": "Sürüyor", "campaignStatus.finished": "Tamamlandı", "campaignStatus.cancelled": "Durduruldu",
        "coupons": "Kuponlar", "couponCount": "Adet", "couponKind": "Tür", "couponAmount": "Tutar (₺)", "couponPercent": "Yüzde (%)",
        "couponValue": "Değer", "validUntil": "Son geçerlilik", "issueCoupons": "Kupon üret", "couponsIssued": "Kuponlar üretildi:",
        "couponCode": "Kupon kodu", "findCoupon": "Kuponu bul", "basket": "Sepet tutarı", "redeemCoupon": "Kuponu kullan",
        "cancelCoupon": "Kuponu iptal et", "couponRedeemed": "Kupon kullanıldı.", "couponCancelled": "Kupon iptal edildi.",
        "couponStatus.issued": "Geçerli", "couponStatus.redeemed": "Kullanıldı", "couponStatus.cancelled": "İptal",
    ]

    static let english: [String: String] = [
        "loyalty": "Loyalty", "campaigns": "Campaigns", "noCampaigns": "No campaigns yet.", "campaignName": "Campaign name",
        "status": "Status", "targeted": "Targeted", "queued": "Queued", "sent": "Sent", "delivered": "Delivered", "failed": "Failed",
        "skippedConsent": "No consent", "optedOut": "Opted out", "nextRun": "Next run", "cancelCampaign": "Stop",
        "newCampaign": "New campaign", "campaignText": "Message", "campaignPlaceholder": "Merhaba {{customer}}, 20 % off this week!",
        "campaignHint": "The message goes only to customers with commercial consent, and waits out 21:00–09:00. Fields: {{customer}} (Ahmet Bey), {{customerName}}, {{business}}, {{branch}}, {{branchPhone}}, {{points}}.",
        "channelPreferred": "The customer's choice", "everyone": "All customers",
        "inactiveDays": "Not seen for (days)", "repeatDays": "Repeat every (days)", "sendCampaign": "Save the campaign",
        "campaignSaved": "Campaign saved; its messages are queued.", "campaignCancelled": "Campaign stopped.",
        "campaignStatus.active": "Running", "campaignStatus.finished": "Finished", "campaignStatus.cancelled": "Stopped",
        "coupons": "Coupons", "couponCount": "How many", "couponKind": "Kind", "couponAmount": "Amount (₺)", "couponPercent": "Percent (%)",
        "couponValue": "Value", "validUntil": "Valid until", "issueCoupons": "Issue coupons", "couponsIssued": "Coupons issued:",
        "couponCode": "Coupon code", "findCoupon": "Find the coupon", "basket": "Basket", "redeemCoupon": "Redeem",
        "cancelCoupon": "Cancel the coupon", "couponRedeemed": "Coupon redeemed.", "couponCancelled": "Coupon cancelled.",
        "couponStatus.issued": "Valid", "couponStatus.redeemed": "Redeemed", "couponStatus.cancelled": "Cancelled",
    ]
}

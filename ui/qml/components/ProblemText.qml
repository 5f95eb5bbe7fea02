import QtQuick

// What was wrong with the last answer, in a sentence (codes come from kiosk/flows).
Text {
    property string code: ""
    visible: text.length > 0
    color: Theme.bad
    font.pixelSize: Theme.fontBody
    font.bold: true
    wrapMode: Text.WordWrap
    horizontalAlignment: Text.AlignHCenter
    text: {
        switch (code) {
        case "": return ""
        case "phone_empty": return qsTr("请输入手机号码")
        case "phone_invalid": return qsTr("手机号码应为1开头的11位数字，请检查")
        case "beneficiary_phone_invalid": return qsTr("请输入被服务人的11位手机号码")
        case "beneficiary_same_phone": return qsTr("被服务人的号码与您的相同，请选择“为自己预约”或换一个号码")
        case "relation_missing": return qsTr("请选择您和被服务人的关系")
        case "name_too_long": return qsTr("称呼太长了，请写短一些")
        case "address_missing": return qsTr("请选择楼栋和房号，或者手动填写地址")
        case "note_too_long": return qsTr("补充说明最多200字")
        case "consent_missing": return qsTr("需要您同意后才能提交")
        case "save_failed": return qsTr("保存失败，请重试或联系工作人员")
        case "code_missing": return qsTr("请输入预约号")
        case "last4_invalid": return qsTr("请输入预约时所留手机号码的后4位")
        case "not_found": return qsTr("没有找到这个预约，请核对预约号和手机后4位")
        case "offline": return qsTr("暂时连不上服务平台，请稍后再试，或拨打服务站电话")
        case "rate_limited": return qsTr("查询太频繁了，请过一分钟再试")
        case "not_a_receipt": return qsTr("这不是预约小票上的二维码，请扫小票上的码")
        case "stars_missing": return qsTr("请点星星打分")
        case "comment_too_long": return qsTr("评价内容最多200字")
        case "already_rated": return qsTr("这个预约已经评价过了，谢谢您！")
        case "not_completed": return qsTr("服务完成后才能评价")
        case "not_a_member_code": return qsTr("这不是志愿者码，请打开手机上的志愿者码再扫")
        case "token_invalid": return qsTr("这个志愿者码无法识别，请在手机上刷新后重新扫码")
        case "token_expired": return qsTr("志愿者码已过期，请在手机上刷新后重新扫码")
        case "token_replayed": return qsTr("这个志愿者码已经用过了，请刷新出新的码再扫")
        case "unknown_key": return qsTr("本机暂时认不出这个志愿者码，请稍后再试或联系工作人员")
        case "unknown_member": return qsTr("没有找到这位志愿者，请联系工作人员")
        case "member_no_invalid": return qsTr("会员号是4到12位数字，请检查")
        case "pin_invalid": return qsTr("请输入4到8位数字密码")
        case "pin_wrong": return qsTr("密码不对，请再试一次")
        case "member_rate_limited": return qsTr("尝试次数太多了，为了您的账户安全，请过几分钟再试")
        case "card_needs_network": return qsTr("网络暂时中断，志愿者卡和密码现在用不了，请用手机上的志愿者码")
        case "redeem_offline": return qsTr("暂时连不上服务平台，现在不能兑换，您的积分不受影响，请稍后再试")
        case "offline_too_long": return qsTr("本机离线太久了，暂时不能兑换，请联系工作人员")
        case "network_unstable": return qsTr("网络不稳定，请在手机上刷新志愿者码后再扫一次")
        case "device_refused": return qsTr("本机暂时不能兑换，请联系工作人员")
        case "service_error": return qsTr("服务平台暂时出了问题，您的积分不受影响，请稍后再试")
        case "session_expired": return qsTr("时间有点长了，为了安全请重新扫码，已选的礼品会保留")
        case "insufficient_points": return qsTr("积分不够兑换这些礼品，请减少一些")
        case "out_of_stock": return qsTr("有礼品刚刚被兑完了，请看下面的提示调整")
        case "limit_exceeded": return qsTr("有礼品超过了每人可兑换的数量（包括以前兑换的），请减少")
        case "unknown_gift": return qsTr("有礼品已经下架，已从清单中去掉")
        case "over_stock": return qsTr("本机库存只有这么多了")
        case "over_limit": return qsTr("这件礼品每人限兑这么多")
        case "over_balance": return qsTr("积分不够再加了")
        case "cart_empty": return qsTr("请先选择礼品")
        case "offline_member_cap": return qsTr("离线时每人可兑换的积分有上限，这次不能再多了，联网后可以继续兑换")
        case "offline_kiosk_cap": return qsTr("本机离线兑换已达上限，请等网络恢复后再兑换")
        case "redeem_not_sent": return qsTr("网络中断，兑换没有提交，积分没有扣除，请再点一次“确认兑换”")
        default: return qsTr("请检查填写的内容")
        }
    }
}

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
        default: return qsTr("请检查填写的内容")
        }
    }
}

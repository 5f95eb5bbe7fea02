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
        default: return qsTr("请检查填写的内容")
        }
    }
}

// The shared macaw-ui pieces every domain's screens are built from.
export { ConfirmDialog, MoreActions, Savebar, useReturnFocus } from "./actions";
export { Badge, Banner, ErrorState, FlashBanner, Loading } from "./feedback";
export { CopyField, FieldMessages, SelectField, TextField, type SelectGroup, type SelectOption } from "./fields";
export { DataTable, Facts, PageHeader, Section, TextLink, usePageTitle, type DataColumn } from "./layout";
export { GlobalStyles, outline, ToneText, type BadgeTone } from "./theme";
export { FormScreen, LoadError, splitErrors, useLeaveGuard, useSettingsForm } from "./form";

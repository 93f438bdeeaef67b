// Package mapping maps a dataset's columns to the canonical fields the
// dashboards, filters and assistant understand (date, revenue, gender, ...),
// suggests a mapping from header names and values, and remembers the
// mapping per file type (header signature) so the next file of that type
// is mapped the same way.
package mapping

// Field is a canonical field name.
type Field = string

// Canonical fields. A dataset's Mapping maps some of these to column names.
const (
	Date          Field = "date"
	CustomerID    Field = "customer_id"
	Email         Field = "email"
	VisitorID     Field = "visitor_id"
	IsNewVisitor  Field = "is_new_visitor"
	Channel       Field = "channel"
	Source        Field = "source"
	Campaign      Field = "campaign"
	OrderID       Field = "order_id"
	Revenue       Field = "revenue"
	Refund        Field = "refund"
	Cost          Field = "cost"
	Gender        Field = "gender"
	Age           Field = "age"
	AgeRange      Field = "age_range"
	IncomeRange   Field = "income_range"
	NetWorth      Field = "net_worth"
	CreditRating  Field = "credit_rating"
	Homeowner     Field = "homeowner"
	MaritalStatus Field = "marital_status"
	Children      Field = "children"
	State         Field = "state"
	City          Field = "city"
	Zip           Field = "zip"
)

// Mapping maps canonical field -> column name in the dataset's table.
type Mapping map[Field]string

// FieldInfo describes a canonical field for the mapping editor.
type FieldInfo struct {
	Field       Field  `json:"field"`
	Label       string `json:"label"`
	Description string `json:"description"`
	// Kinds says which column types fit: "date", "number", "text", "bool".
	Kinds []string `json:"kinds"`
}

// Fields lists every canonical field in the order the editor shows them.
var Fields = []FieldInfo{
	{Date, "Date", "When the purchase or visit happened", []string{"date"}},
	{CustomerID, "Customer ID", "Identifies a buyer across orders", []string{"text", "number"}},
	{Email, "Email", "Buyer or visitor email (also identifies repeat people)", []string{"text"}},
	{VisitorID, "Visitor ID", "Identifies a visitor across visits", []string{"text", "number"}},
	{IsNewVisitor, "New visitor flag", "Yes when this was the visitor's first visit", []string{"bool", "text"}},
	{Channel, "Channel", "Marketing channel (e.g. Paid Search, Email)", []string{"text"}},
	{Source, "Source", "Traffic source (e.g. google, facebook)", []string{"text"}},
	{Campaign, "Campaign", "Marketing campaign name", []string{"text"}},
	{OrderID, "Order ID", "Identifies one order", []string{"text", "number"}},
	{Revenue, "Revenue", "Order amount (gross)", []string{"number"}},
	{Refund, "Refund", "Amount refunded on the order", []string{"number"}},
	{Cost, "Cost", "Acquisition/marketing cost attributed to the row", []string{"number"}},
	{Gender, "Gender", "Male / Female / Other", []string{"text"}},
	{Age, "Age", "Age in years", []string{"number"}},
	{AgeRange, "Age range", "Age group such as 25-34", []string{"text"}},
	{IncomeRange, "Income range", "Household income bracket", []string{"text"}},
	{NetWorth, "Net worth", "Wealth bracket", []string{"text"}},
	{CreditRating, "Credit rating", "Credit score tier", []string{"text"}},
	{Homeowner, "Homeowner", "Own / Rent", []string{"text", "bool"}},
	{MaritalStatus, "Marital status", "Married / Single", []string{"text"}},
	{Children, "Children", "Has children (Yes/No)", []string{"text", "bool"}},
	{State, "State", "US state or region", []string{"text"}},
	{City, "City", "City", []string{"text"}},
	{Zip, "ZIP code", "Postal code", []string{"text", "number"}},
}

// Column is what mapping needs to know about a dataset column. It mirrors
// the relevant part of datasets.Column (datasets imports this package, so
// this package cannot import datasets).
type Column struct {
	Name     string   // normalized column name (the DuckDB column)
	Original string   // header as it was in the file
	Type     string   // integer, decimal, currency, percent, boolean, date, datetime, text
	Samples  []string // a few non-empty values, used to recognize gender, state, email
}

// KindOf maps a column type to the kind fields accept ("date", "number",
// "bool", "text").
func KindOf(columnType string) string {
	switch columnType {
	case "integer", "decimal", "currency", "percent", "number", "bigint", "double":
		return "number"
	case "boolean", "bool":
		return "bool"
	case "date", "datetime", "timestamp":
		return "date"
	}
	return "text"
}

// Info returns the description of a canonical field.
func Info(f Field) (FieldInfo, bool) {
	for _, fi := range Fields {
		if fi.Field == f {
			return fi, true
		}
	}
	return FieldInfo{}, false
}

// Accepts reports whether field f can be mapped to a column of columnType.
func (fi FieldInfo) Accepts(columnType string) bool {
	kind := KindOf(columnType)
	for _, k := range fi.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

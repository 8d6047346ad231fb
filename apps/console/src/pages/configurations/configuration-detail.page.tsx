// SCAFFOLD: replaced by the page's real implementation before this lands.
export default function Page() {
  return <div>configurations/configuration-detail</div>;
}
